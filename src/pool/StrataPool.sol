// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {MulticallUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/MulticallUpgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";
import {ERC721} from "solmate/tokens/ERC721.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {Governed} from "../governance/Governed.sol";
import {LoanInterest} from "../interest/LoanInterest.sol";
import {RateCurve, RateCurveLib} from "../interest/RateCurve.sol";
import {ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {IFloorOracle} from "../interfaces/IFloorOracle.sol";
import {
    CollectionParams,
    IStrataPool,
    Impairment,
    Loan,
    LoanStatus,
    RarityProof,
    Tranche
} from "../interfaces/IStrataPool.sol";
import {AssetTransfer} from "../libraries/AssetTransfer.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {Waterfall} from "../libraries/Waterfall.sol";
import {RarityProof as RarityProofLib} from "../oracle/RarityProof.sol";
import {PoolParameters} from "./PoolParameters.sol";

/// @title StrataPool
/// @notice Custodian of the pool's cash and collateral, keeper of the loan book and of the tranche accounting behind
///         the senior and junior vaults. Every rule lives in SPEC §3–§5 and §8; this contract follows it.
/// @dev Accounting is O(1) (SPEC §4): `NAV = cash + totalPrincipal + accrued`, where `accrued` is the closed form
///      `(t * rateSum - rateTimeSum) / (YEAR * WAD)` over `rateSum = Σ principal * netApr` and
///      `rateTimeSum = Σ principal * netApr * start` of the active loans (exact integers, no drift). `netApr` is the
///      loan's apr net of its protocol fee. Cash is the pool's ledger, never `balanceOf`.
contract StrataPool is IStrataPool, Governed, UUPSUpgradeable, ReentrancyGuardTransient, MulticallUpgradeable {
    using FixedPointMath for uint256;
    using SafeTransferLib for ERC20;

    struct TrancheBook {
        uint256 supply;
        uint256 pendingShares;
    }

    /// @custom:storage-location erc7201:strata.storage.Pool
    struct PoolStorage {
        ERC20 asset;
        ICollectionRegistry registry;
        address seniorVault;
        address juniorVault;
        address liquidator;
        address treasury;
        uint256 cash;
        uint256 totalPrincipal;
        uint256 rateSum;
        uint256 rateTimeSum;
        uint256 seniorClaim;
        uint40 seniorLastUpdate;
        uint64 seniorRate;
        uint256 totalClaimable;
        uint256 protocolFees;
        uint16 minJuniorRatioBps;
        uint16 originationFeeBps;
        uint16 protocolFeeBps;
        uint32 gracePeriod;
        bool borrowsPaused;
        bool depositsPaused;
        uint256 nextLoanId;
        TrancheBook[2] tranches;
        mapping(uint256 loanId => Loan) loans;
        mapping(address collection => uint256) exposure;
        mapping(address account => uint256) claimableOf;
    }

    /// @notice Initialization parameters (see `initialize`).
    struct InitParams {
        address asset;
        address registry;
        address governance;
        address guardian;
        address seniorVault;
        address juniorVault;
        address liquidator;
        address treasury;
        uint256 seniorRate;
        uint256 minJuniorRatioBps;
        uint256 originationFeeBps;
        uint256 protocolFeeBps;
        uint256 gracePeriod;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.Pool")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant POOL_STORAGE = 0x6fa356a320461b2cdd53c7bdc3e74f8f28120541c1e45828d82faad077ee3100;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the pool behind its proxy. Governance is the timelock; the deployer keeps nothing.
    function initialize(InitParams calldata p) external initializer {
        if (
            p.asset == address(0) || p.registry == address(0) || p.seniorVault == address(0)
                || p.juniorVault == address(0) || p.liquidator == address(0) || p.treasury == address(0)
        ) revert ZeroAddress();
        __Governed_init(p.governance, p.guardian);
        __Multicall_init();
        PoolStorage storage $ = _s();
        $.asset = ERC20(p.asset);
        $.registry = ICollectionRegistry(p.registry);
        $.seniorVault = p.seniorVault;
        $.juniorVault = p.juniorVault;
        $.liquidator = p.liquidator;
        $.treasury = p.treasury;
        $.nextLoanId = 1;
        $.seniorLastUpdate = uint40(block.timestamp);
        emit TreasurySet(address(0), p.treasury);
        emit LiquidatorSet(address(0), p.liquidator);
        _setSeniorRate(p.seniorRate);
        _setMinJuniorRatio(p.minJuniorRatioBps);
        _setFees(p.originationFeeBps, p.protocolFeeBps);
        _setGracePeriod(p.gracePeriod);
    }

    // =====================================================================================================
    // Lenders (through the vaults)
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    function onDeposit(Tranche tranche, uint256 assets, uint256 shares) external nonReentrant {
        PoolStorage storage $ = _s();
        _onlyVault($, tranche);
        if (assets == 0 || shares == 0) revert ZeroAmount();
        uint256 max = _maxDeposit($, tranche);
        if (assets > max) revert ExceedsMaxDeposit(assets, max);
        if (tranche == Tranche.Senior) $.seniorClaim = _checkpointSenior($) + assets;
        $.cash += assets;
        $.tranches[uint256(tranche)].supply += shares;
        emit Deposited(tranche, assets, shares);
    }

    /// @inheritdoc IStrataPool
    function onWithdraw(Tranche tranche, uint256 assets, uint256 shares, address receiver) external nonReentrant {
        PoolStorage storage $ = _s();
        _onlyVault($, tranche);
        if (assets == 0 || shares == 0) revert ZeroAmount();
        uint256 max = _maxWithdraw($, tranche);
        if (assets > max) revert ExceedsMaxWithdraw(assets, max);
        _burnTrancheShares($, tranche, shares);
        $.cash -= assets;
        emit Withdrawn(tranche, receiver, assets, shares);
        $.asset.safeTransfer(receiver, assets);
    }

    /// @inheritdoc IStrataPool
    function onRedeemRequested(Tranche tranche, uint256 shares) external {
        PoolStorage storage $ = _s();
        _onlyVault($, tranche);
        if (shares == 0) revert ZeroAmount();
        TrancheBook storage book = $.tranches[uint256(tranche)];
        book.pendingShares += shares;
        emit RedeemQueued(tranche, shares, book.pendingShares);
    }

    /// @inheritdoc IStrataPool
    function onRedeemCancelled(Tranche tranche, uint256 shares) external {
        PoolStorage storage $ = _s();
        _onlyVault($, tranche);
        if (shares == 0) revert ZeroAmount();
        TrancheBook storage book = $.tranches[uint256(tranche)];
        book.pendingShares -= shares;
        emit RedeemUnqueued(tranche, shares, book.pendingShares);
    }

    /// @inheritdoc IStrataPool
    function onRedeemServed(Tranche tranche, uint256 assets, uint256 shares) external nonReentrant {
        PoolStorage storage $ = _s();
        _onlyVault($, tranche);
        if (shares == 0) revert ZeroAmount();
        uint256 max = _servable($, tranche);
        if (assets > max) revert QueueOverServed(assets, max);
        $.tranches[uint256(tranche)].pendingShares -= shares;
        _burnTrancheShares($, tranche, shares);
        $.cash -= assets;
        $.totalClaimable += assets;
        emit RedeemServed(tranche, assets, shares);
    }

    /// @inheritdoc IStrataPool
    function payRedeemClaim(Tranche tranche, address receiver, uint256 assets) external nonReentrant {
        PoolStorage storage $ = _s();
        _onlyVault($, tranche);
        if (assets == 0) revert ZeroAmount();
        $.totalClaimable -= assets;
        emit QueueClaimPaid(tranche, receiver, assets);
        $.asset.safeTransfer(receiver, assets);
    }

    // =====================================================================================================
    // Borrowers
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    function borrow(
        address collectionAddr,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 maxApr,
        RarityProof calldata rarity
    ) external nonReentrant returns (uint256 loanId) {
        PoolStorage storage $ = _s();
        CollectionParams memory c = _borrowable($, collectionAddr);
        if (principal == 0) revert ZeroAmount();
        if (principal > type(uint96).max) revert PrincipalTooLarge(principal);
        _checkDuration(c, duration);
        if (ERC721(collectionAddr).ownerOf(tokenId) != msg.sender) {
            revert NotTokenOwner(collectionAddr, tokenId, msg.sender);
        }
        uint256 rarityBps = _rarity(c, collectionAddr, tokenId, rarity);
        _checkBorrowLimits($, c, collectionAddr, principal, rarityBps);
        uint256 fee = principal.bpsDown($.originationFeeBps);
        uint256 apr = _curveApr($, c.curve, principal, principal - fee);
        if (apr > maxApr) revert AprAboveMax(apr, maxApr);

        // Effects.
        loanId = $.nextLoanId++;
        Loan storage l = $.loans[loanId];
        l.borrower = msg.sender;
        l.start = uint40(block.timestamp);
        l.maturity = uint40(block.timestamp + duration);
        l.status = LoanStatus.Active;
        l.collection = collectionAddr;
        l.principal = uint96(principal);
        l.tokenId = tokenId;
        l.apr = uint64(apr);
        l.rarityBps = uint32(rarityBps);
        l.liquidationThresholdBps = c.liquidationThresholdBps;
        l.liquidationPenaltyBps = c.liquidationPenaltyBps;
        l.lateFeeBps = c.lateFeeBps;
        l.protocolFeeBps = $.protocolFeeBps;
        l.gracePeriod = $.gracePeriod;
        $.exposure[collectionAddr] += principal;
        _addAccrual($, principal, _netApr(apr, l.protocolFeeBps), block.timestamp);
        $.totalPrincipal += principal;
        $.cash -= principal - fee;
        emit LoanOriginated(loanId, msg.sender, collectionAddr, tokenId, principal, apr, l.maturity, rarityBps, fee);

        // Interactions: the NFT in (no hook into the borrower), then the principal out.
        ERC721(collectionAddr).transferFrom(msg.sender, address(this), tokenId);
        $.asset.safeTransfer(msg.sender, principal - fee);
    }

    /// @inheritdoc IStrataPool
    function repay(uint256 loanId, uint256 amount) external nonReentrant returns (uint256 paid) {
        PoolStorage storage $ = _s();
        Loan storage l = _active($, loanId);
        if (amount == 0) revert ZeroAmount();
        uint256 principal = l.principal;
        uint256 elapsed = block.timestamp - l.start;
        uint256 interest = LoanInterest.interest(principal, l.apr, elapsed);
        uint256 netApr = _netApr(l.apr, l.protocolFeeBps);
        uint256 poolInterest = LoanInterest.interest(principal, netApr, elapsed);
        uint256 lateFee = block.timestamp > l.maturity ? principal.bpsUp(l.lateFeeBps) : 0;
        uint256 fullDebt = principal + interest + lateFee;

        _removeAccrual($, principal, netApr, l.start);
        uint256 principalPaid;
        if (amount >= fullDebt) {
            paid = fullDebt;
            principalPaid = principal;
            l.principal = 0;
            l.status = LoanStatus.Repaid;
            $.exposure[l.collection] -= principal;
        } else {
            if (block.timestamp > l.maturity) revert LoanPastMaturity(loanId, l.maturity);
            if (amount < interest) revert PaymentBelowInterest(amount, interest);
            paid = amount;
            principalPaid = amount - interest;
            l.principal = uint96(principal - principalPaid);
            l.start = uint40(block.timestamp);
            $.exposure[l.collection] -= principalPaid;
            _addAccrual($, principal - principalPaid, netApr, block.timestamp);
        }
        $.totalPrincipal -= principalPaid;
        $.cash += principalPaid + poolInterest + lateFee;
        $.protocolFees += interest - poolInterest;
        emit LoanRepaid(loanId, msg.sender, principalPaid, interest, lateFee, interest - poolInterest, l.principal);

        AssetTransfer.pullExact($.asset, msg.sender, address(this), paid);
        if (l.status == LoanStatus.Repaid) ERC721(l.collection).transferFrom(address(this), l.borrower, l.tokenId);
    }

    /// @inheritdoc IStrataPool
    function extend(uint256 loanId, uint256 newDuration, uint256 maxApr)
        external
        nonReentrant
        returns (uint256 newApr)
    {
        PoolStorage storage $ = _s();
        Loan storage l = _active($, loanId);
        if (msg.sender != l.borrower) revert NotBorrower(loanId, msg.sender);
        if (block.timestamp > l.maturity) revert LoanPastMaturity(loanId, l.maturity);
        CollectionParams memory c = _borrowable($, l.collection);
        _checkDuration(c, newDuration);
        uint256 principal = l.principal;
        uint256 elapsed = block.timestamp - l.start;
        uint256 interest = LoanInterest.interest(principal, l.apr, elapsed);
        {
            uint256 limit = _freshAppraisal(c.oracle, l.collection, l.rarityBps).bpsDown(l.liquidationThresholdBps);
            if (principal + interest > limit) revert LoanUnhealthy(loanId);
        }
        newApr = _curveApr($, c.curve, 0, 0);
        if (newApr > maxApr) revert AprAboveMax(newApr, maxApr);

        uint256 oldNetApr = _netApr(l.apr, l.protocolFeeBps);
        uint256 poolInterest = LoanInterest.interest(principal, oldNetApr, elapsed);
        _removeAccrual($, principal, oldNetApr, l.start);
        _addAccrual($, principal, _netApr(newApr, l.protocolFeeBps), block.timestamp);
        l.apr = uint64(newApr);
        l.start = uint40(block.timestamp);
        l.maturity = uint40(block.timestamp + newDuration);
        $.cash += poolInterest;
        $.protocolFees += interest - poolInterest;
        emit LoanExtended(loanId, interest, newApr, l.maturity);

        if (interest > 0) AssetTransfer.pullExact($.asset, msg.sender, address(this), interest);
    }

    /// @inheritdoc IStrataPool
    function claim(address receiver) external nonReentrant returns (uint256 amount) {
        PoolStorage storage $ = _s();
        if (receiver == address(0)) revert ZeroAddress();
        amount = $.claimableOf[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        $.claimableOf[msg.sender] = 0;
        $.totalClaimable -= amount;
        emit Claimed(msg.sender, receiver, amount);
        $.asset.safeTransfer(receiver, amount);
    }

    /// @inheritdoc IStrataPool
    function recover(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        PoolStorage storage $ = _s();
        $.cash += amount;
        emit Recovered(msg.sender, amount);
        AssetTransfer.pullExact($.asset, msg.sender, address(this), amount);
    }

    /// @inheritdoc IStrataPool
    function payProtocolFees() external nonReentrant returns (uint256 amount) {
        PoolStorage storage $ = _s();
        amount = $.protocolFees;
        if (amount == 0) revert NothingToClaim($.treasury);
        $.protocolFees = 0;
        emit ProtocolFeesPaid($.treasury, amount);
        $.asset.safeTransfer($.treasury, amount);
    }

    // =====================================================================================================
    // Liquidator
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    function impair(uint256 loanId) external nonReentrant returns (Impairment memory imp) {
        PoolStorage storage $ = _s();
        if (msg.sender != $.liquidator) revert NotLiquidator(msg.sender);
        Loan storage l = _active($, loanId);

        uint256 principal = l.principal;
        uint256 netApr = _netApr(l.apr, l.protocolFeeBps);
        uint256 debtNow = principal + LoanInterest.interest(principal, l.apr, block.timestamp - l.start);
        _removeAccrual($, principal, netApr, l.start);
        $.totalPrincipal -= principal;
        $.exposure[l.collection] -= principal;
        l.status = LoanStatus.Liquidating;
        l.impairedAt = uint40(block.timestamp);
        uint256 book = _bookValue(l);
        emit LoanImpaired(loanId, book, debtNow);

        imp = Impairment({
            borrower: l.borrower,
            collection: l.collection,
            tokenId: l.tokenId,
            debt: debtNow,
            penalty: debtNow.bpsUp(l.liquidationPenaltyBps),
            bookValue: book
        });
        ERC721(l.collection).transferFrom(address(this), msg.sender, l.tokenId);
    }

    /// @inheritdoc IStrataPool
    function settleLiquidation(uint256 loanId, uint256 toPool, uint256 borrowerSurplus) external nonReentrant {
        PoolStorage storage $ = _s();
        if (msg.sender != $.liquidator) revert NotLiquidator(msg.sender);
        Loan storage l = $.loans[loanId];
        if (l.status != LoanStatus.Liquidating) revert LoanNotLiquidating(loanId);
        l.status = LoanStatus.Liquidated;
        uint256 book = _bookValue(l);
        $.cash += toPool;
        if (borrowerSurplus > 0) {
            $.claimableOf[l.borrower] += borrowerSurplus;
            $.totalClaimable += borrowerSurplus;
        }
        emit LiquidationSettled(loanId, toPool, borrowerSurplus, book.zeroFloorSub(toPool), toPool.zeroFloorSub(book));
    }

    // =====================================================================================================
    // Governance and guardian
    // =====================================================================================================

    /// @notice Sets the senior target APR (WAD). The claim is compounded at the old rate up to now first.
    function setSeniorRate(uint256 rate) external onlyGovernance {
        _setSeniorRate(rate);
    }

    /// @notice Sets the minimum junior share of NAV after senior deposits and junior withdrawals.
    function setMinJuniorRatio(uint256 bps) external onlyGovernance {
        _setMinJuniorRatio(bps);
    }

    /// @notice Sets the origination fee (of principal) and the protocol fee (of interest) for new loans.
    function setFees(uint256 originationFeeBps, uint256 protocolFeeBps) external onlyGovernance {
        _setFees(originationFeeBps, protocolFeeBps);
    }

    /// @notice Sets the grace period after maturity for new loans.
    function setGracePeriod(uint256 gracePeriod) external onlyGovernance {
        _setGracePeriod(gracePeriod);
    }

    /// @notice Sets the treasury that receives protocol fees.
    function setTreasury(address treasury) external onlyGovernance {
        if (treasury == address(0)) revert ZeroAddress();
        emit TreasurySet(_s().treasury, treasury);
        _s().treasury = treasury;
    }

    /// @notice Pauses (guardian or governance) or unpauses (governance only) new borrowing.
    function setBorrowsPaused(bool isPaused) external {
        _checkPauser(isPaused);
        _s().borrowsPaused = isPaused;
        emit BorrowsPausedSet(isPaused);
    }

    /// @notice Pauses (guardian or governance) or unpauses (governance only) deposits into both vaults.
    function setDepositsPaused(bool isPaused) external {
        _checkPauser(isPaused);
        _s().depositsPaused = isPaused;
        emit DepositsPausedSet(isPaused);
    }

    // =====================================================================================================
    // Views
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    function asset() external view returns (address) {
        return address(_s().asset);
    }

    /// @inheritdoc IStrataPool
    function vault(Tranche tranche) external view returns (address) {
        return tranche == Tranche.Senior ? _s().seniorVault : _s().juniorVault;
    }

    /// @inheritdoc IStrataPool
    function liquidator() external view returns (address) {
        return _s().liquidator;
    }

    /// @inheritdoc IStrataPool
    function nav() external view returns (uint256) {
        return _nav(_s());
    }

    /// @inheritdoc IStrataPool
    function trancheValue(Tranche tranche) external view returns (uint256) {
        return _trancheValue(_s(), tranche);
    }

    /// @inheritdoc IStrataPool
    function seniorClaim() external view returns (uint256) {
        return _seniorClaimNow(_s());
    }

    /// @inheritdoc IStrataPool
    function cash() external view returns (uint256) {
        return _s().cash;
    }

    /// @inheritdoc IStrataPool
    function availableCash() external view returns (uint256) {
        return _availableCash(_s());
    }

    /// @inheritdoc IStrataPool
    function totalPrincipal() external view returns (uint256) {
        return _s().totalPrincipal;
    }

    /// @inheritdoc IStrataPool
    function maxDeposit(Tranche tranche) external view returns (uint256) {
        return _maxDeposit(_s(), tranche);
    }

    /// @inheritdoc IStrataPool
    function maxWithdraw(Tranche tranche) external view returns (uint256) {
        return _maxWithdraw(_s(), tranche);
    }

    /// @inheritdoc IStrataPool
    function servable(Tranche tranche) external view returns (uint256) {
        return _servable(_s(), tranche);
    }

    /// @inheritdoc IStrataPool
    function queueState(Tranche tranche) external view returns (uint256 pendingShares, uint256 supply) {
        TrancheBook storage book = _s().tranches[uint256(tranche)];
        return (book.pendingShares, book.supply);
    }

    /// @inheritdoc IStrataPool
    function totalClaimable() external view returns (uint256) {
        return _s().totalClaimable;
    }

    /// @inheritdoc IStrataPool
    function protocolFees() external view returns (uint256) {
        return _s().protocolFees;
    }

    /// @inheritdoc IStrataPool
    function claimable(address account) external view returns (uint256) {
        return _s().claimableOf[account];
    }

    /// @inheritdoc IStrataPool
    function loan(uint256 loanId) external view returns (Loan memory) {
        return _s().loans[loanId];
    }

    /// @inheritdoc IStrataPool
    function nextLoanId() external view returns (uint256) {
        return _s().nextLoanId;
    }

    /// @inheritdoc IStrataPool
    function debt(uint256 loanId) public view returns (uint256) {
        Loan storage l = _active(_s(), loanId);
        uint256 principal = l.principal;
        uint256 d = principal + LoanInterest.interest(principal, l.apr, block.timestamp - l.start);
        return block.timestamp > l.maturity ? d + principal.bpsUp(l.lateFeeBps) : d;
    }

    /// @inheritdoc IStrataPool
    function registry() external view returns (address) {
        return address(_s().registry);
    }

    /// @inheritdoc IStrataPool
    function exposure(address collectionAddr) external view returns (uint256) {
        return _s().exposure[collectionAddr];
    }

    /// @inheritdoc IStrataPool
    function parameters()
        external
        view
        returns (
            uint256 seniorRate,
            uint256 minJuniorRatioBps,
            uint256 originationFeeBps,
            uint256 protocolFeeBps,
            uint256 gracePeriod,
            address treasury
        )
    {
        PoolStorage storage $ = _s();
        return ($.seniorRate, $.minJuniorRatioBps, $.originationFeeBps, $.protocolFeeBps, $.gracePeriod, $.treasury);
    }

    /// @inheritdoc IStrataPool
    function paused() external view returns (bool borrowsPaused, bool depositsPaused) {
        return (_s().borrowsPaused, _s().depositsPaused);
    }

    // =====================================================================================================
    // Internal: accounting
    // =====================================================================================================

    function _s() private pure returns (PoolStorage storage $) {
        assembly {
            $.slot := POOL_STORAGE
        }
    }

    function _nav(PoolStorage storage $) private view returns (uint256) {
        return $.cash + $.totalPrincipal + LoanInterest.accrued($.rateSum, $.rateTimeSum, block.timestamp);
    }

    function _seniorClaimNow(PoolStorage storage $) private view returns (uint256) {
        return Waterfall.compoundClaimDown($.seniorClaim, $.seniorRate, block.timestamp - $.seniorLastUpdate);
    }

    /// @dev Compounds the stored claim to now and returns it; callers write the new claim.
    function _checkpointSenior(PoolStorage storage $) private returns (uint256 claimNow) {
        claimNow = _seniorClaimNow($);
        $.seniorLastUpdate = uint40(block.timestamp);
    }

    function _trancheValues(PoolStorage storage $) private view returns (uint256 nav_, uint256 senior, uint256 junior) {
        nav_ = _nav($);
        (senior, junior) = Waterfall.split(nav_, _seniorClaimNow($));
    }

    function _trancheValue(PoolStorage storage $, Tranche tranche) private view returns (uint256) {
        (, uint256 senior, uint256 junior) = _trancheValues($);
        return tranche == Tranche.Senior ? senior : junior;
    }

    /// @dev Cash owed to the redemption queue: the pending shares of both tranches at today's price, rounded up.
    function _queueReserve(PoolStorage storage $) private view returns (uint256 reserve) {
        TrancheBook storage sb = $.tranches[0];
        TrancheBook storage jb = $.tranches[1];
        if (sb.pendingShares == 0 && jb.pendingShares == 0) return 0;
        (, uint256 senior, uint256 junior) = _trancheValues($);
        if (sb.pendingShares != 0) reserve = senior.mulDivUp(sb.pendingShares, sb.supply);
        if (jb.pendingShares != 0) reserve += junior.mulDivUp(jb.pendingShares, jb.supply);
    }

    function _availableCash(PoolStorage storage $) private view returns (uint256) {
        return uint256($.cash).zeroFloorSub(_queueReserve($));
    }

    function _maxDeposit(PoolStorage storage $, Tranche tranche) private view returns (uint256) {
        if ($.depositsPaused) return 0;
        (uint256 nav_, uint256 senior, uint256 junior) = _trancheValues($);
        if (tranche == Tranche.Senior) {
            // An impaired senior refuses deposits (SPEC §5): no dilution of the existing seniors' recovery.
            if (senior < _seniorClaimNow($)) return 0;
            return Waterfall.maxSeniorDeposit(junior, nav_, $.minJuniorRatioBps);
        }
        // A wiped-out junior with shares outstanding refuses deposits: a newcomer would buy the old holders'
        // claim on pending auction recoveries for nothing (docs/ACCOUNTING.md).
        if (junior == 0 && $.tranches[1].supply != 0) return 0;
        return type(uint256).max;
    }

    function _maxWithdraw(PoolStorage storage $, Tranche tranche) private view returns (uint256) {
        (uint256 nav_, uint256 senior, uint256 junior) = _trancheValues($);
        uint256 available = _availableCash($);
        if (tranche == Tranche.Senior) return available.min(senior);
        return available.min(Waterfall.maxJuniorWithdraw(junior, nav_, $.minJuniorRatioBps));
    }

    function _servable(PoolStorage storage $, Tranche tranche) private view returns (uint256) {
        (uint256 nav_, uint256 senior, uint256 junior) = _trancheValues($);
        if (tranche == Tranche.Senior) return uint256($.cash).min(senior);
        return uint256($.cash).min(Waterfall.maxJuniorWithdraw(junior, nav_, $.minJuniorRatioBps));
    }

    function _burnTrancheShares(PoolStorage storage $, Tranche tranche, uint256 shares) private {
        TrancheBook storage book = $.tranches[uint256(tranche)];
        if (tranche == Tranche.Senior) {
            uint256 claimNow = _checkpointSenior($);
            $.seniorClaim = claimNow - Waterfall.claimReduction(claimNow, shares, book.supply);
        }
        book.supply -= shares;
    }

    function _addAccrual(PoolStorage storage $, uint256 principal, uint256 netApr, uint256 start) private {
        uint256 rate = principal * netApr;
        $.rateSum += rate;
        $.rateTimeSum += rate * start;
    }

    function _removeAccrual(PoolStorage storage $, uint256 principal, uint256 netApr, uint256 start) private {
        uint256 rate = principal * netApr;
        $.rateSum -= rate;
        $.rateTimeSum -= rate * start;
    }

    // =====================================================================================================
    // Internal: loans
    // =====================================================================================================

    function _netApr(uint256 apr, uint256 protocolFeeBps) private pure returns (uint256) {
        return protocolFeeBps == 0 ? apr : apr.bpsDown(FixedPointMath.BPS - protocolFeeBps);
    }

    /// @dev The curve rate at the pool's utilization after lending `principal` of which `cashOut` leaves the pool.
    function _curveApr(PoolStorage storage $, RateCurve memory curve, uint256 principal, uint256 cashOut)
        private
        view
        returns (uint256)
    {
        uint256 borrowed = uint256($.totalPrincipal) + principal;
        return RateCurveLib.apr(curve, RateCurveLib.utilization(borrowed, uint256($.cash) - cashOut));
    }

    /// @dev What an impaired loan was worth to the pool when it left NAV: principal plus interest net of fee.
    function _bookValue(Loan storage l) private view returns (uint256) {
        uint256 principal = l.principal;
        return principal + LoanInterest.interest(principal, _netApr(l.apr, l.protocolFeeBps), l.impairedAt - l.start);
    }

    function _checkDuration(CollectionParams memory c, uint256 duration) private pure {
        if (duration < c.minDuration || duration > c.maxDuration) {
            revert DurationOutOfRange(duration, c.minDuration, c.maxDuration);
        }
    }

    /// @dev LTV at a fresh appraisal, the collection's exposure cap, and cash not owed to the queue (SPEC §3).
    function _checkBorrowLimits(
        PoolStorage storage $,
        CollectionParams memory c,
        address collectionAddr,
        uint256 principal,
        uint256 rarityBps
    ) private view {
        uint256 maxPrincipal = _freshAppraisal(c.oracle, collectionAddr, rarityBps).bpsDown(c.ltvBps);
        if (principal > maxPrincipal) revert ExceedsLtv(principal, maxPrincipal);
        uint256 newExposure = $.exposure[collectionAddr] + principal;
        if (newExposure > c.exposureCap) revert ExceedsExposureCap(collectionAddr, newExposure, c.exposureCap);
        uint256 available = _availableCash($);
        if (principal > available) revert InsufficientCash(principal, available);
    }

    /// @dev The collection's parameters, if new risk may be taken against it now.
    function _borrowable(PoolStorage storage $, address collectionAddr)
        private
        view
        returns (CollectionParams memory c)
    {
        if ($.borrowsPaused) revert BorrowsPaused();
        bool listed;
        bool collectionPaused;
        (c, listed, collectionPaused) = $.registry.collection(collectionAddr);
        if (!listed) revert CollectionNotListed(collectionAddr);
        if (collectionPaused) revert CollectionPaused(collectionAddr);
    }

    function _active(PoolStorage storage $, uint256 loanId) private view returns (Loan storage l) {
        l = $.loans[loanId];
        if (l.status != LoanStatus.Active) revert LoanNotActive(loanId);
    }

    function _rarity(CollectionParams memory c, address collectionAddr, uint256 tokenId, RarityProof calldata rarity)
        private
        pure
        returns (uint256)
    {
        if (rarity.proof.length == 0) return FixedPointMath.BPS;
        if (!RarityProofLib.verify(c.rarityRoot, tokenId, rarity.multiplierBps, rarity.proof)) {
            revert InvalidRarityProof(collectionAddr, tokenId, rarity.multiplierBps);
        }
        return rarity.multiplierBps.min(c.maxRarityBps);
    }

    function _appraisal(address oracle, address collectionAddr, uint256 rarityBps)
        private
        view
        returns (uint256 appraisal, bool fresh)
    {
        uint256 floor;
        (floor,, fresh) = IFloorOracle(oracle).floorPrice(collectionAddr);
        appraisal = floor.bpsDown(rarityBps);
    }

    function _freshAppraisal(address oracle, address collectionAddr, uint256 rarityBps)
        private
        view
        returns (uint256 appraisal)
    {
        bool fresh;
        (appraisal, fresh) = _appraisal(oracle, collectionAddr, rarityBps);
        if (!fresh) revert StalePrice(collectionAddr);
    }

    // =====================================================================================================
    // Internal: governance
    // =====================================================================================================

    function _checkPauser(bool isPaused) private view {
        if (isPaused) {
            if (msg.sender != governance() && !isGuardian(msg.sender)) revert NotGuardian(msg.sender);
        } else if (msg.sender != governance()) {
            revert NotGovernance(msg.sender);
        }
    }

    function _setSeniorRate(uint256 rate) private {
        PoolParameters.check("seniorRate", rate, 0, PoolParameters.MAX_SENIOR_RATE);
        PoolStorage storage $ = _s();
        $.seniorClaim = _checkpointSenior($);
        emit SeniorRateSet($.seniorRate, rate);
        $.seniorRate = uint64(rate);
    }

    function _setMinJuniorRatio(uint256 bps) private {
        PoolParameters.check("minJuniorRatioBps", bps, 0, PoolParameters.MAX_MIN_JUNIOR_RATIO_BPS);
        emit MinJuniorRatioSet(_s().minJuniorRatioBps, bps);
        _s().minJuniorRatioBps = uint16(bps);
    }

    function _setFees(uint256 originationFeeBps, uint256 protocolFeeBps) private {
        PoolParameters.check("originationFeeBps", originationFeeBps, 0, PoolParameters.MAX_ORIGINATION_FEE_BPS);
        PoolParameters.check("protocolFeeBps", protocolFeeBps, 0, PoolParameters.MAX_PROTOCOL_FEE_BPS);
        PoolStorage storage $ = _s();
        emit FeesSet($.originationFeeBps, originationFeeBps, $.protocolFeeBps, protocolFeeBps);
        $.originationFeeBps = uint16(originationFeeBps);
        $.protocolFeeBps = uint16(protocolFeeBps);
    }

    function _setGracePeriod(uint256 gracePeriod) private {
        PoolParameters.check(
            "gracePeriod", gracePeriod, PoolParameters.MIN_GRACE_PERIOD, PoolParameters.MAX_GRACE_PERIOD
        );
        emit GracePeriodSet(_s().gracePeriod, gracePeriod);
        _s().gracePeriod = uint32(gracePeriod);
    }

    function _onlyVault(PoolStorage storage $, Tranche tranche) private view {
        address expected = tranche == Tranche.Senior ? $.seniorVault : $.juniorVault;
        if (msg.sender != expected) revert NotVault(msg.sender);
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
