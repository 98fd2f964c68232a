// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ERC20 as SolmateERC20} from "solmate/tokens/ERC20.sol";

import {Governed} from "../governance/Governed.sol";
import {IStrataPool, Tranche} from "../interfaces/IStrataPool.sol";
import {AssetTransfer} from "../libraries/AssetTransfer.sol";

/// @title TrancheVault
/// @notice The ERC-4626 front end of one tranche (senior or junior) of a Strata pool (SPEC §5). One implementation,
///         deployed twice. The pool holds every unit of the asset and keeps the books; this vault mints and burns the
///         tranche's shares, and its `totalAssets()` is the tranche value at `block.timestamp`.
/// @dev EIP-4626 to the letter: `preview*` round against the caller and equal what the action delivers; `max*` and
///      `totalAssets` never revert and report the pool's exact limits (cash, queue priority, subordination, pause);
///      `convertTo*` ignore the caller. Shares carry a virtual offset of 10^6 against the inflation attack.
contract TrancheVault is ERC4626Upgradeable, Governed, UUPSUpgradeable, ReentrancyGuardTransient {
    using Math for uint256;

    /// @custom:storage-location erc7201:strata.storage.TrancheVault
    struct TrancheVaultStorage {
        IStrataPool pool;
        Tranche tranche;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.TrancheVault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant VAULT_STORAGE = 0x3d73c3fe7013218e35fe7a011e1d0ae03947641e8f400cecccefa4e621adaf00;

    /// @notice Virtual-share offset (decimals) against first-depositor inflation.
    uint8 public constant DECIMALS_OFFSET = 6;

    /// @notice A zero amount of assets or shares was given, or an action would move zero of either.
    error ZeroAmount();

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the vault of `tranche_` over `pool_` behind its proxy.
    function initialize(
        IStrataPool pool_,
        Tranche tranche_,
        address asset_,
        string calldata name_,
        string calldata symbol_,
        address governance_,
        address guardian_
    ) external initializer {
        if (address(pool_) == address(0) || asset_ == address(0)) revert ZeroAddress();
        __ERC20_init(name_, symbol_);
        __ERC4626_init(IERC20(asset_));
        __Governed_init(governance_, guardian_);
        TrancheVaultStorage storage $ = _vs();
        $.pool = pool_;
        $.tranche = tranche_;
    }

    /// @notice The pool this vault fronts.
    function pool() public view returns (IStrataPool) {
        return _vs().pool;
    }

    /// @notice The tranche this vault fronts.
    function tranche() public view returns (Tranche) {
        return _vs().tranche;
    }

    // ------------------------------------------------------------------------------------------ ERC-4626 views

    /// @notice The tranche value at `block.timestamp` (SPEC §5). Never reverts.
    function totalAssets() public view override returns (uint256) {
        return _vs().pool.trancheValue(_vs().tranche);
    }

    /// @notice The pool's exact deposit limit: 0 while deposits are paused, the senior is impaired or the junior is
    ///         wiped out with shares outstanding; the subordination limit for the senior; and the room left in the
    ///         pool's 128-bit ledgers of cash and of this tranche's shares. Caller-independent, never reverts.
    function maxDeposit(address) public view override returns (uint256) {
        uint256 poolMax = _vs().pool.maxDeposit(_vs().tranche);
        if (poolMax == 0) return 0;
        return poolMax.min(_convertToAssets(type(uint128).max - totalSupply(), Math.Rounding.Floor));
    }

    /// @notice The shares `maxDeposit` buys, rounded down, so that `previewMint(maxMint) <= maxDeposit`.
    function maxMint(address) public view override returns (uint256) {
        uint256 poolMax = _vs().pool.maxDeposit(_vs().tranche);
        if (poolMax == 0) return 0;
        return _convertToShares(poolMax, Math.Rounding.Floor).min(type(uint128).max - totalSupply());
    }

    /// @notice What `owner` can withdraw now: its shares' value, capped by the pool's instant-withdrawal limit.
    function maxWithdraw(address owner) public view override returns (uint256) {
        return _convertToAssets(balanceOf(owner), Math.Rounding.Floor).min(_vs().pool.maxWithdraw(_vs().tranche));
    }

    /// @notice The shares `owner` can redeem now: its balance, capped so that the assets paid stay within the pool's
    ///         instant-withdrawal limit.
    function maxRedeem(address owner) public view override returns (uint256) {
        uint256 poolMax = _vs().pool.maxWithdraw(_vs().tranche);
        return balanceOf(owner).min(_convertToShares(poolMax, Math.Rounding.Floor));
    }

    // ------------------------------------------------------------------------------------------ ERC-4626 actions

    /// @notice Deposits `assets` for shares to `receiver`. Reverts on zero assets or zero shares.
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        return super.deposit(assets, receiver);
    }

    /// @notice Mints exactly `shares` to `receiver` for at most `previewMint(shares)` assets.
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        return super.mint(shares, receiver);
    }

    /// @notice Withdraws exactly `assets` to `receiver`, burning `owner`'s shares (allowance if caller != owner).
    function withdraw(uint256 assets, address receiver, address owner) public override nonReentrant returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        return super.withdraw(assets, receiver, owner);
    }

    /// @notice Redeems exactly `shares` of `owner` for assets to `receiver`.
    function redeem(uint256 shares, address receiver, address owner) public override nonReentrant returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        return super.redeem(shares, receiver, owner);
    }

    // ------------------------------------------------------------------------------------------ internals

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev The asset goes straight from the caller to the pool (balance-checked), then the pool books it, then the
    ///      shares are minted.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        if (shares == 0) revert ZeroAmount();
        TrancheVaultStorage storage $ = _vs();
        AssetTransfer.pullExact(SolmateERC20(asset()), caller, address($.pool), assets);
        $.pool.onDeposit($.tranche, assets, shares);
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @dev Shares are burned first; the pool then pays `receiver` from its cash.
    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        if (assets == 0) revert ZeroAmount();
        if (caller != owner) _spendAllowance(owner, caller, shares);
        _burn(owner, shares);
        TrancheVaultStorage storage $ = _vs();
        $.pool.onWithdraw($.tranche, assets, shares, receiver);
        emit Withdraw(caller, receiver, owner, assets, shares);
    }

    function _vs() private pure returns (TrancheVaultStorage storage $) {
        assembly {
            $.slot := VAULT_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
